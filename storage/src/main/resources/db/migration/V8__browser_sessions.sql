-- Team mode: the browser sessions of logged-in people, so that a restart keeps them logged in and a password change,
-- a revoke or a removed account ends them at once. Only the SHA-256 of a session id is stored: a copy of the database
-- lets no one take over a session. A session ends at expires_at (pushed forward while it is used, never past its
-- lifetime from created_at), or when its user is removed.
CREATE TABLE browser_sessions (
    id_sha256   CHAR(64)     PRIMARY KEY,
    user_name   VARCHAR(64)  NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX browser_sessions_user ON browser_sessions (user_name);
CREATE INDEX browser_sessions_expiry ON browser_sessions (expires_at);
