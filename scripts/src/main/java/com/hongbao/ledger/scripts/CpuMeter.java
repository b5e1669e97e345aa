package com.hongbao.ledger.scripts;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * CPU used over an interval, in cores: this JVM's (ledger and load generator), the benchmark's
 * PostgreSQL's (its postmaster and every process it forked, from /proc; only when it runs on
 * this machine), and the whole machine's, which on a shared machine includes other work.
 */
final class CpuMeter {
    private static long postmaster = -1;
    private final long wallStart = System.nanoTime();
    private final long jvmStart = jvmCpuNanos();
    private final long postgresStart = postgresTicks();
    private final long busyStart = machineBusyTicks();
    private final long[] stealStart = machineStealTicks();
    private final long jitStart = jitTicks();

    /** Finds the PostgreSQL server of {@code connection} among this machine's processes, if it is one. */
    static void locatePostgres(Connection connection) {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT pg_backend_pid()")) {
            result.next();
            long backend = result.getLong(1);
            postmaster = Long.parseLong(statFields(Files.readString(Path.of("/proc/" + backend + "/stat")))[1]);
        } catch (IOException | SQLException | RuntimeException e) {
            postmaster = -1; // not on this machine, or no /proc
        }
    }

    static CpuMeter start() {
        return new CpuMeter();
    }

    String report() {
        double wall = (System.nanoTime() - wallStart) / 1e9;
        double jvm = (jvmCpuNanos() - jvmStart) / 1e9;
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "CPU: this JVM %.2f cores", jvm / wall));
        long postgres = postgresTicks();
        if (postgres >= 0 && postgresStart >= 0) {
            text.append(String.format(Locale.ROOT, ", PostgreSQL %.2f cores", (postgres - postgresStart) / 100.0 / wall));
        }
        long busy = machineBusyTicks();
        if (busy >= 0 && busyStart >= 0) {
            text.append(String.format(Locale.ROOT, ", whole machine %.2f of %d cores", (busy - busyStart) / 100.0 / wall,
                    Runtime.getRuntime().availableProcessors()));
        }
        long[] steal = machineStealTicks();
        if (steal != null && stealStart != null && steal[1] > stealStart[1]) {
            text.append(String.format(Locale.ROOT, ", stolen by the hypervisor %.1f%%",
                    100.0 * (steal[0] - stealStart[0]) / (steal[1] - stealStart[1])));
        }
        long jit = jitTicks();
        if (jit >= 0 && jitStart >= 0) {
            text.append(String.format(Locale.ROOT, "; of this JVM's, the JIT compilers %.2f cores", (jit - jitStart) / 100.0 / wall));
        }
        return text.toString();
    }

    /** CPU seconds the JIT compiler threads of this JVM have used so far, or -1 without /proc. */
    static double jitCpuSeconds() {
        long ticks = jitTicks();
        return ticks < 0 ? -1 : ticks / 100.0;
    }

    /**
     * Clock ticks of this JVM's compiler threads ("C1 CompilerThre…", "C2 CompilerThre…") from
     * /proc, or -1. (The compilation MXBean's time is the compilations' elapsed time, which on a
     * saturated machine counts the compiler threads' waiting too.)
     */
    private static long jitTicks() {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            long ticks = 0;
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        ticks += cpuTicks(statFields(stat));
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
            return ticks;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Steal ticks and all ticks of all CPUs, or null: the time this virtual machine wanted to
     * run but its host ran something else, a measure of how noisy the neighbours were.
     */
    private static long[] machineStealTicks() {
        try {
            String[] fields = machineCpuFields();
            long all = 0;
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                all += Long.parseLong(fields[i]);
            }
            return new long[] {Long.parseLong(fields[8]), all};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** user + system ticks (USER_HZ = 100) of the postmaster and its children, or -1. */
    private static long postgresTicks() {
        if (postmaster < 0) {
            return -1;
        }
        long ticks = 0;
        try (DirectoryStream<Path> processes =
                     Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try {
                    String[] fields = statFields(Files.readString(process.resolve("stat")));
                    long pid = Long.parseLong(process.getFileName().toString());
                    if (pid == postmaster || Long.parseLong(fields[1]) == postmaster) {
                        ticks += cpuTicks(fields);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return ticks;
    }

    /** The fields of /proc/stat's "cpu" line: the name, then user, nice, system, idle, iowait, irq, softirq, steal… ticks. */
    private static String[] machineCpuFields() throws IOException {
        return Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
    }

    /** The fields of a /proc/…/stat line after the name in parentheses: [0] state, [1] parent pid, … */
    private static String[] statFields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /** user + system ticks from {@link #statFields}. */
    private static long cpuTicks(String[] fields) {
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** user + nice + system + irq + softirq + steal ticks of all CPUs, or -1 without /proc/stat. */
    private static long machineBusyTicks() {
        try {
            String[] fields = machineCpuFields();
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(fields[i]);
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
