/**
 * A workbench home as commands open it: its options ({@link dev.cnnworkbench.cli.home.HomeOptions}), its store
 * (this process's database, or the hub's over the cluster: {@link dev.cnnworkbench.cli.home.LocalStack},
 * {@link dev.cnnworkbench.cli.home.HomeStore}), who holds its database, the files it advertises
 * ({@code hub.json}, {@code server.json}), and a team database's server and run files.
 */
package dev.cnnworkbench.cli.home;
