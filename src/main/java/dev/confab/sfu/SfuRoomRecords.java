package dev.confab.sfu;

import java.io.Serializable;
import java.util.Optional;

/**
 * Where the node that drives a meeting's SFU room keeps what another node needs to drive it on, should this one
 * die: the room, its session and every participant's handles, as the {@link Sfu} implementation records them. On a
 * single node nothing is kept ({@link #none()}): nobody could take a room over.
 */
public interface SfuRoomRecords {

    /** Whether records are kept at all; when false, none need be made. */
    boolean kept();

    void put(String meetingCode, Serializable record);

    Optional<Serializable> get(String meetingCode);

    void remove(String meetingCode);

    /** A single node's: keeps nothing. */
    static SfuRoomRecords none() {
        return Nothing.INSTANCE;
    }

    /** The records of a node that has nobody to hand a room to. */
    enum Nothing implements SfuRoomRecords {
        INSTANCE;

        @Override
        public boolean kept() {
            return false;
        }

        @Override
        public void put(String meetingCode, Serializable record) {
            // a single node: nobody will take the room over
        }

        @Override
        public Optional<Serializable> get(String meetingCode) {
            return Optional.empty();
        }

        @Override
        public void remove(String meetingCode) {
            // nothing was kept
        }
    }
}
