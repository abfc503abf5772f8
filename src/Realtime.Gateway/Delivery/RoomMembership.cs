using Realtime.Gateway.Connections;
using Realtime.Protocol;

namespace Realtime.Gateway.Delivery;

/// <summary>
/// A connection's place in a room on this gateway. While a join is in flight it holds the room's
/// pushes back; once the join's answer is known it writes the reply first, then the held pushes,
/// then goes live. The client sees the reply before any push of the room, and no push out of order.
/// Held pushes count against the connection's send queue: too many close it with 4001.
/// </summary>
internal sealed class RoomMembership(Connection connection, string room)
{
    private readonly Lock _lock = new();
    private List<(long Seq, byte[] Frame)>? _held = [];
    private long _heldBytes;
    private bool _rejoin;
    private byte[]? _heldResync;
    private volatile bool _live;
    private long _afterSeq;

    public Connection Connection { get; } = connection;

    public string Room { get; } = room;

    public bool IsLive => _live;

    /// <summary>Delivers a sequenced push: held while a join is in flight, dropped when at or before the join's seq.</summary>
    public void Deliver(long seq, byte[] frame, long publishedTicks = 0)
    {
        if (_live)
        {
            if (seq > _afterSeq)
            {
                Connection.Send(frame, publishedTicks);
            }

            return;
        }

        lock (_lock)
        {
            if (!_live)
            {
                Hold(seq, frame);
                return;
            }
        }

        if (seq > _afterSeq)
        {
            Connection.Send(frame, publishedTicks);
        }
    }

    /// <summary>Delivers an unsequenced room push (presence); dropped while a join is in flight.</summary>
    public void DeliverEvent(byte[] frame)
    {
        if (_live)
        {
            Connection.Send(frame);
        }
    }

    /// <summary>A <c>resync</c> for the room: written at once, or after the join's reply and held pushes while a join is in flight.</summary>
    public void DeliverResync(byte[] frame)
    {
        lock (_lock)
        {
            if (!_live)
            {
                _heldResync = frame;
                return;
            }
        }

        Connection.Send(frame);
    }

    /// <summary>The room's history was reset: its seqs start again, so none of them is old news here.</summary>
    public void StartNewEpoch()
    {
        lock (_lock)
        {
            _afterSeq = 0;
        }
    }

    /// <summary>
    /// A connection already in the room joins it again (to recover, say): hold its pushes until the
    /// new reply is written. Nothing held is dropped: the connection was a member all along.
    /// </summary>
    public void HoldForRejoin()
    {
        lock (_lock)
        {
            if (_live)
            {
                _held = [];
                _heldBytes = 0;
                _rejoin = true;
                _live = false;
            }
        }
    }

    /// <summary>A rejoin that got no answer: the member goes live again, writing every push held meanwhile.</summary>
    public void Release() => Activate(null, long.MaxValue);

    /// <summary>Writes the join's reply (if any), then the held pushes after <paramref name="seq"/> (all of them on a rejoin), and goes live.</summary>
    public void Activate(byte[]? reply, long seq)
    {
        lock (_lock)
        {
            if (_live)
            {
                if (reply is not null)
                {
                    Connection.Send(reply);
                }

                return;
            }

            _afterSeq = _rejoin ? Math.Min(_afterSeq, seq) : seq;
            if (reply is not null)
            {
                Connection.Send(reply);
            }

            foreach (var (heldSeq, frame) in _held ?? [])
            {
                if (_rejoin || heldSeq > seq)
                {
                    Connection.Send(frame);
                }
            }

            if (_heldResync is not null)
            {
                Connection.Send(_heldResync);
                _heldResync = null;
            }

            _held = null;
            _heldBytes = 0;
            _rejoin = false;
            _live = true;
        }
    }

    private void Hold(long seq, byte[] frame)
    {
        if (_held is null)
        {
            return;
        }

        _heldBytes += frame.Length;
        if (_heldBytes > Connection.MaxQueueBytes)
        {
            _held = null;
            Connection.Close(CloseCodes.SlowConsumer, "send queue overflow", flush: false);
            return;
        }

        _held.Add((seq, frame));
    }
}
