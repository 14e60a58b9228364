/**
 * The {@code workbench} command line: one picocli command per file ({@link dev.cnnworkbench.cli.Workbench} lists
 * them), and what they print (tables, progress bars). What a command opens lives in {@code cli.home} (the home, its
 * database or its hub, the served dashboard); what trains for a server or a sweep in {@code cli.work}.
 */
package dev.cnnworkbench.cli;
