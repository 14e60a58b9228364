/**
 * The dashboard's HTTP server: REST API, live stream and pages. It reads the run store through
 * {@code dev.cnnworkbench.storage.RunQueries} and listens on the event bus; it never sees DL4J types.
 */
package dev.cnnworkbench.web;
