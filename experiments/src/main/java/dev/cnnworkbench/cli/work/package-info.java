/**
 * What trains on behalf of a home's hub: its work queue and workers ({@link dev.cnnworkbench.cli.work.WorkHub}),
 * the runs and sweeps the dashboard starts ({@link dev.cnnworkbench.cli.work.ServerRuns},
 * {@link dev.cnnworkbench.cli.work.ServerSweeps}), a sweep's stack and its records in the store.
 */
package dev.cnnworkbench.cli.work;
