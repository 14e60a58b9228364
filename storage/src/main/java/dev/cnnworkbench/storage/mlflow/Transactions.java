package dev.cnnworkbench.storage.mlflow;

import dev.cnnworkbench.storage.Database;
import java.sql.Connection;
import java.sql.SQLException;

/** One transaction around a piece of work: committed when it returns, rolled back when it throws. */
final class Transactions {

    private Transactions() {
    }

    static <T> T inTransaction(Database db, String what, MlflowExperiments.Work<T> work) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw MlflowExperiments.failed(what, e);
        }
    }
}
