/**
 * The dashboard's HTTP server ({@link dev.cnnworkbench.web.WebServer}): it reads the run store through
 * {@code dev.cnnworkbench.storage.RunQueries} and listens on the event bus; it never sees DL4J types. By feature:
 * {@code api} (the REST API and the live stream), {@code auth} (callers, logins, sessions, who may change what),
 * {@code pages} (what the pages load besides their files), {@code mlflow} (the MLflow tracking API), {@code bench}
 * (the dashboard and MLflow benchmarks); here the server, its store, its error type and the ingest route.
 */
package dev.cnnworkbench.web;
