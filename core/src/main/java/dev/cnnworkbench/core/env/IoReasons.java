package dev.cnnworkbench.core.env;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The operating system's reason for a failed file operation, in words: Java's {@link FileSystemException}s carry
 * only the path in their message ({@code AccessDeniedException: /home/x/artifacts/1}), so an error built from
 * {@code getMessage()} names the file but not the cause. Stateless.
 */
public final class IoReasons {

    private IoReasons() {
    }

    /** {@code "permission denied: PATH"}, {@code "no such file or directory: PATH"}, or the message as it is. */
    public static String of(IOException e) {
        String reason = null;
        if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (e instanceof NoSuchFileException) {
            reason = "no such file or directory";
        } else if (e instanceof FileAlreadyExistsException) {
            reason = "file already exists";
        } else if (e instanceof NotDirectoryException) {
            reason = "not a directory";
        } else if (e instanceof DirectoryNotEmptyException) {
            reason = "directory not empty";
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            reason = f.getReason();
        }
        if (reason == null) {
            return String.valueOf(e.getMessage());
        }
        FileSystemException f = (FileSystemException) e;
        return reason + ": " + f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile());
    }
}
