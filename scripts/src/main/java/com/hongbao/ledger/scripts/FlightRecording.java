package com.hongbao.ledger.scripts;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * A flight recording (settings "profile") of one phase, written to {@code <jfr>-<phase>.jfr}
 * when {@code --jfr=<path prefix>} is given; nothing otherwise.
 */
final class FlightRecording implements AutoCloseable {
    private final Recording recording;
    private final Path file;

    private FlightRecording(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    static FlightRecording start(String prefix, String phase) throws IOException, ParseException {
        if (prefix == null || prefix.isBlank()) {
            return new FlightRecording(null, null);
        }
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.start();
        return new FlightRecording(recording, Path.of(prefix + "-" + phase + ".jfr"));
    }

    @Override
    public void close() throws IOException {
        if (recording != null) {
            recording.stop();
            recording.dump(file);
            recording.close();
            System.out.println("flight recording: " + file);
        }
    }
}
