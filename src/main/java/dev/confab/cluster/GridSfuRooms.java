package dev.confab.cluster;

import com.hazelcast.map.IMap;
import dev.confab.sfu.SfuRoomRecords;

import java.io.Serializable;
import java.util.Optional;

/** {@link SfuRoomRecords} in a grid map (with a backup on another member): they outlive the node that wrote them. */
final class GridSfuRooms implements SfuRoomRecords {

    private final IMap<String, Serializable> records;

    GridSfuRooms(IMap<String, Serializable> records) {
        this.records = records;
    }

    @Override
    public boolean kept() {
        return true;
    }

    @Override
    public void put(String meetingCode, Serializable record) {
        records.set(meetingCode, record);
    }

    @Override
    public Optional<Serializable> get(String meetingCode) {
        return Optional.ofNullable(records.get(meetingCode));
    }

    @Override
    public void remove(String meetingCode) {
        records.delete(meetingCode);
    }
}
