using Realtime.Rooms;

namespace Realtime.Gateway.Delivery;

/// <summary>
/// A connection's join of a room while the cluster answers it: the room's pushes for the connection
/// are held from <see cref="LocalRooms.BeginJoin"/> on. <see cref="Commit"/> applies the answer
/// (the reply first, then what was held); <see cref="Abort"/> undoes the join when no answer came.
/// One of the two, once: the client never sees a push of the room before the reply, nor one out of order.
/// </summary>
internal sealed class PendingJoin
{
    private readonly LocalRooms _rooms;
    private readonly RoomMembership _membership;
    private readonly bool _rejoin;
    private int _done;

    internal PendingJoin(LocalRooms rooms, RoomMembership membership, bool rejoin)
    {
        _rooms = rooms;
        _membership = membership;
        _rejoin = rejoin;
    }

    /// <summary>The room being joined.</summary>
    public string Room => _membership.Room;

    /// <summary>
    /// Applies the cluster's answer. First the rooms the connection left by joining this one stop;
    /// then, refused: the connection is out of the room (even if it was in it before) and
    /// <paramref name="reply"/> (the error) is written; accepted: <paramref name="reply"/> (if any),
    /// then the held pushes after the room's seq, and the membership goes live.
    /// </summary>
    public void Commit(byte[]? reply, RoomJoinResult result, IReadOnlyList<string> leftRooms)
    {
        if (Interlocked.Exchange(ref _done, 1) != 0)
        {
            throw new InvalidOperationException($"The join of {Room} was already committed or aborted.");
        }

        var connection = _membership.Connection;
        foreach (var left in leftRooms)
        {
            _rooms.Leave(left, connection);
        }

        if (!result.Ok)
        {
            _rooms.Remove(_membership);
            if (reply is not null)
            {
                connection.Send(reply);
            }

            return;
        }

        _rooms.Observe(Room, result.Epoch, result.Seq);
        _membership.Activate(reply, result.Seq);
    }

    /// <summary>
    /// No answer came (the call failed): a new member is taken out again; a member that was
    /// rejoining stays one, and what was held for it is written.
    /// </summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _done, 1) != 0)
        {
            return;
        }

        if (_rejoin)
        {
            _membership.Release();
        }
        else
        {
            _rooms.Remove(_membership);
        }
    }
}
