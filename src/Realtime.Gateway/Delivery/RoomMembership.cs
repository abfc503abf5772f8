using Realtime.Gateway.Connections;

namespace Realtime.Gateway.Delivery;

/// <summary>
/// A connection's place in a room on this gateway. While its join is in flight it holds the room's
/// pushes back; once the join's answer is known it writes the reply first, then the held pushes
/// after the join's seq, then goes live. The client sees the reply before any push of the room and
/// no push twice or out of order.
/// </summary>
internal sealed class RoomMembership(Connection connection, string room)
{
    private List<(long Seq, byte[] Frame)>? _held = [];
    private volatile bool _live;
    private long _afterSeq;

    public Connection Connection { get; } = connection;

    public string Room { get; } = room;

    public bool IsLive => _live;

    /// <summary>Delivers a sequenced push: held while joining, dropped when at or before the join's seq.</summary>
    public void Deliver(long seq, byte[] frame)
    {
        if (_live)
        {
            if (seq > _afterSeq)
            {
                Connection.Send(frame);
            }

            return;
        }

        lock (this)
        {
            if (!_live)
            {
                _held?.Add((seq, frame));
                return;
            }
        }

        if (seq > _afterSeq)
        {
            Connection.Send(frame);
        }
    }

    /// <summary>Delivers an unsequenced room push (presence); dropped while joining.</summary>
    public void DeliverEvent(byte[] frame)
    {
        if (_live)
        {
            Connection.Send(frame);
        }
    }

    /// <summary>Writes the join's reply (if any), then the held pushes after <paramref name="seq"/>, and goes live.</summary>
    public void Activate(byte[]? reply, long seq)
    {
        lock (this)
        {
            if (_live)
            {
                if (reply is not null)
                {
                    Connection.Send(reply);
                }

                return;
            }

            _afterSeq = seq;
            if (reply is not null)
            {
                Connection.Send(reply);
            }

            foreach (var (heldSeq, frame) in _held!)
            {
                if (heldSeq > seq)
                {
                    Connection.Send(frame);
                }
            }

            _held = null;
            _live = true;
        }
    }
}
