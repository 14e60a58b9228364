/**
 * The REST API under {@code /api/}: runs, metric histories, artifacts, console logs, sweeps, ensembles, plugins,
 * starting and changing runs, the live event stream, and the OpenAPI document that describes them.
 */
package dev.cnnworkbench.web.api;
