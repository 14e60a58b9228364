-- The content of artifacts in a team's shared database (an H2 TCP or SSL server), so that every member reads, downloads,
-- ensembles, resumes and fine-tunes from the files of a run trained on another member's machine. Each file is cut into
-- chunks of at most 1 MiB (ArtifactChunks.CHUNK_BYTES), numbered from 0; a file over the cap (WORKBENCH_ARTIFACT_MAX_MB,
-- 256 MiB by default) has no chunks and stays on the trainer's machine only. An embedded home stores no chunks: its
-- files are on its own disk. The chunks go with their artifact, which goes with its run.
CREATE TABLE artifact_chunks (
    artifact_id BIGINT            NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    seq         INT               NOT NULL,
    bytes       VARBINARY(1048576) NOT NULL,
    PRIMARY KEY (artifact_id, seq)
);
