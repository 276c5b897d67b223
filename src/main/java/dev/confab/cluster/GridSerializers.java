package dev.confab.cluster;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import dev.confab.signaling.MediaState;
import dev.confab.signaling.Participant;
import dev.confab.signaling.Seat;
import dev.confab.signaling.SocketRef;

import java.io.IOException;

/**
 * Field-by-field serializers for what crosses the grid on the relay path: a seat (read for every signal) and a
 * message to another node's sockets (one per signal). Java serialization, which the rest uses, wrote and parsed
 * class descriptors for each and took a quarter of a node's CPU in the two-node benchmark (docs/benchmarks.md).
 */
final class GridSerializers {

    private static final int SEAT = 1;
    private static final int SEND = 2;

    private GridSerializers() {
    }

    static void register(SerializationConfig config) {
        config.addSerializerConfig(new SerializerConfig().setTypeClass(Seat.class).setImplementation(new SeatSerializer()));
        config.addSerializerConfig(new SerializerConfig().setTypeClass(SocketCommand.Send.class)
                .setImplementation(new SendSerializer()));
    }

    static final class SeatSerializer implements StreamSerializer<Seat> {

        @Override
        public int getTypeId() {
            return SEAT;
        }

        @Override
        public void write(ObjectDataOutput out, Seat seat) throws IOException {
            Participant p = seat.participant();
            out.writeString(p.id());
            out.writeString(p.name());
            out.writeBoolean(p.host());
            out.writeBoolean(p.cohost());
            out.writeString(p.userId());
            out.writeString(seat.socket().node());
            out.writeLong(seat.socket().number());
            MediaState state = seat.state();
            out.writeBoolean(state.audio());
            out.writeBoolean(state.video());
            out.writeBoolean(state.screen());
            out.writeBoolean(state.hand());
            out.writeLong(seat.order());
        }

        @Override
        public Seat read(ObjectDataInput in) throws IOException {
            Participant participant = new Participant(in.readString(), in.readString(), in.readBoolean(),
                    in.readBoolean(), in.readString());
            SocketRef socket = new SocketRef(in.readString(), in.readLong());
            MediaState state = new MediaState(in.readBoolean(), in.readBoolean(), in.readBoolean(), in.readBoolean());
            return new Seat(participant, socket, state, in.readLong());
        }
    }

    static final class SendSerializer implements StreamSerializer<SocketCommand.Send> {

        @Override
        public int getTypeId() {
            return SEND;
        }

        @Override
        public void write(ObjectDataOutput out, SocketCommand.Send send) throws IOException {
            out.writeLongArray(send.to());
            out.writeString(send.json());
        }

        @Override
        public SocketCommand.Send read(ObjectDataInput in) throws IOException {
            return new SocketCommand.Send(in.readLongArray(), in.readString());
        }
    }
}
