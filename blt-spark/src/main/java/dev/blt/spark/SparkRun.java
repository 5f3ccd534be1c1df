package dev.blt.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What both {@code ./blt spark-*} entry points do once their options are read: open a session (the master
 * spark-submit set, else {@code --master}, else {@code local[2]}), run the job, stop the session, and map
 * failures to the command line's exit codes (2: bad input, named; 3: internal error, with its trace).
 */
final class SparkRun {
    /** The job, given the session; returns the exit code. */
    interface Job {
        int run(SparkSession spark) throws IOException;
    }

    private SparkRun() {
    }

    static int run(String command, String master, Job job) {
        SparkSession.Builder b = SparkSession.builder().appName("blt " + command);
        if (master != null || !new SparkConf().contains("spark.master")) {
            b.master(master != null ? master : "local[2]");
        }
        SparkSession spark = b.getOrCreate();
        try {
            return job.run(spark);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            System.err.println("blt " + command + ": " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            System.err.println("blt " + command + ": internal error: " + e);
            e.printStackTrace();
            return 3;
        } finally {
            spark.stop();
            // in local mode this JVM ran the tasks: free the models they left in the pool
            ExecutorModels.closeIdle();
        }
    }
}
