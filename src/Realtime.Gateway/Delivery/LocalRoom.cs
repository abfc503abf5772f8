namespace Realtime.Gateway.Delivery;

/// <summary>
/// The members of one room on this gateway, and where the room's sequence stands here. Member
/// changes copy the member array, so a broadcast walks a stable array without a lock.
/// </summary>
internal sealed class LocalRoom(string name)
{
    private readonly Lock _lock = new();
    private volatile RoomMembership[] _members = [];
    private string _epoch = "";
    private long _lastSeq;

    public string Name { get; } = name;

    public RoomMembership[] Members => _members;

    /// <summary>Changed under the <see cref="LocalRooms"/> lock only.</summary>
    public void Add(RoomMembership membership) => _members = [.. _members, membership];

    /// <summary>Changed under the <see cref="LocalRooms"/> lock only; true when the room is now empty.</summary>
    public bool Remove(RoomMembership membership)
    {
        var members = _members;
        var index = Array.IndexOf(members, membership);
        if (index >= 0)
        {
            var copy = new RoomMembership[members.Length - 1];
            Array.Copy(members, 0, copy, 0, index);
            Array.Copy(members, index + 1, copy, index, members.Length - index - 1);
            _members = copy;
        }

        return _members.Length == 0;
    }

    /// <summary>A join's answer: where the room stood when a member joined, if nothing is known yet.</summary>
    public void Observe(string epoch, long seq)
    {
        lock (_lock)
        {
            if (_epoch.Length == 0)
            {
                (_epoch, _lastSeq) = (epoch, seq);
            }
        }
    }

    /// <summary>Places a push in the room's sequence as this gateway saw it.</summary>
    public SequenceCheck Check(string epoch, long seq)
    {
        lock (_lock)
        {
            if (_epoch.Length == 0)
            {
                (_epoch, _lastSeq) = (epoch, seq);
                return new SequenceCheck(SequenceState.Next, 0);
            }

            if (epoch != _epoch)
            {
                (_epoch, _lastSeq) = (epoch, seq);
                return new SequenceCheck(SequenceState.NewEpoch, 0);
            }

            if (seq <= _lastSeq)
            {
                return new SequenceCheck(SequenceState.Duplicate, _lastSeq);
            }

            var after = _lastSeq;
            _lastSeq = seq;
            return new SequenceCheck(seq == after + 1 ? SequenceState.Next : SequenceState.Gap, after);
        }
    }
}

/// <summary>Where a push falls: next in order, already seen, after a gap (from <see cref="After"/>), or in a new epoch.</summary>
internal readonly record struct SequenceCheck(SequenceState State, long After);

internal enum SequenceState
{
    Next,
    Duplicate,
    Gap,
    NewEpoch,
}
