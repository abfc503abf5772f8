using Realtime.Rooms;

namespace Realtime.Grains.Rooms;

/// <summary>
/// A room's members, kept in storage records of a bounded size so that a join or leave rewrites
/// one small record whatever the room's size. Record 0 is the room's own state; records 1 and up
/// are its member records. A member's record is its client id's stable hash modulo the record
/// count, a power of two that doubles when the records' average passes
/// <see cref="MembersPerRecord"/> (every record is rewritten then, once per doubling: O(1)
/// amortised per join).
/// </summary>
/// <remarks>
/// A doubling moves members from record <c>b</c> only to record <c>b + count</c>. The records are
/// written new ones first, then record 0 with the new count, then the old ones: a stop part way
/// leaves at worst a stale copy of a member in a record that is not its home, which
/// <see cref="Load"/> ignores.
/// </remarks>
internal sealed class RoomMembers
{
    /// <summary>The average number of members per record above which the records double.</summary>
    internal const int MembersPerRecord = 64;

    private readonly Dictionary<string, List<string>> _connectionsByUser = new(StringComparer.Ordinal);
    private readonly HashSet<int> _dirty = [];
    private Dictionary<string, RoomMember>[] _records = [NewRecord()];

    /// <summary>How many connections are in the room.</summary>
    public int Count { get; private set; }

    /// <summary>How many storage records the members are spread over (a power of two).</summary>
    public int RecordCount => _records.Length;

    /// <summary>The record count written to storage with record 0: what a load reads back.</summary>
    public int SavedRecordCount { get; private set; } = 1;

    /// <summary>Whether any record has changes not yet handed to storage.</summary>
    public bool IsDirty => _dirty.Count > 0;

    public IEnumerable<RoomMember> All => _records.SelectMany(record => record.Values);

    /// <summary>
    /// Loads what storage holds: every member from its home record under <paramref name="recordCount"/>
    /// records. <paramref name="records"/> holds record 0 first.
    /// </summary>
    public void Load(int recordCount, IReadOnlyList<Dictionary<string, RoomMember>?> records)
    {
        recordCount = recordCount < 1 ? 1 : recordCount;
        _records = new Dictionary<string, RoomMember>[recordCount];
        for (var i = 0; i < recordCount; i++)
        {
            _records[i] = NewRecord();
        }

        _connectionsByUser.Clear();
        _dirty.Clear();
        Count = 0;
        SavedRecordCount = recordCount;
        for (var i = 0; i < records.Count && i < recordCount; i++)
        {
            foreach (var member in records[i]?.Values ?? Enumerable.Empty<RoomMember>())
            {
                if (HomeOf(member.ClientId, recordCount) == i && _records[i].TryAdd(member.ClientId, member))
                {
                    Count++;
                    IndexUser(member);
                }
            }
        }
    }

    public bool TryGet(string clientId, out RoomMember member)
        => _records[HomeOf(clientId, _records.Length)].TryGetValue(clientId, out member!);

    /// <summary>Adds or replaces a member; its record is to be written.</summary>
    public void Set(RoomMember member)
    {
        var home = HomeOf(member.ClientId, _records.Length);
        if (_records[home].Remove(member.ClientId, out var previous))
        {
            UnindexUser(previous);
        }
        else
        {
            Count++;
        }

        _records[home][member.ClientId] = member;
        IndexUser(member);
        _dirty.Add(home);
        if (Count > MembersPerRecord * _records.Length)
        {
            Double();
        }
    }

    /// <summary>Removes a member; its record is to be written.</summary>
    public bool Remove(string clientId, out RoomMember member)
    {
        var home = HomeOf(clientId, _records.Length);
        if (!_records[home].Remove(clientId, out member!))
        {
            return false;
        }

        Count--;
        UnindexUser(member);
        _dirty.Add(home);
        return true;
    }

    /// <summary>Empties the room: every record is to be written (or cleared).</summary>
    public void Clear()
    {
        for (var i = 0; i < _records.Length; i++)
        {
            if (_records[i].Count > 0)
            {
                _records[i].Clear();
                _dirty.Add(i);
            }
        }

        _connectionsByUser.Clear();
        Count = 0;
    }

    /// <summary>The room's connections of a user, in the order they joined.</summary>
    public IReadOnlyList<string> ConnectionsOf(string userId)
        => _connectionsByUser.TryGetValue(userId, out var connections) ? connections : [];

    /// <summary>
    /// The records to write now, each a copy, with whether the record count changed since the last
    /// write (then the order of writes matters: see the class remarks).
    /// </summary>
    public RecordWrite TakeDirty()
    {
        var writes = new List<(int Index, Dictionary<string, RoomMember> Members)>(_dirty.Count);
        foreach (var index in _dirty)
        {
            writes.Add((index, new Dictionary<string, RoomMember>(_records[index], StringComparer.Ordinal)));
        }

        _dirty.Clear();
        var write = new RecordWrite(writes, SavedRecordCount, _records.Length);
        SavedRecordCount = _records.Length;
        return write;
    }

    /// <summary>A write that failed: its records are to be written again.</summary>
    public void Retry(RecordWrite write)
    {
        foreach (var (index, _) in write.Records)
        {
            _dirty.Add(index);
        }

        SavedRecordCount = Math.Min(SavedRecordCount, write.PreviousRecordCount);
    }

    /// <summary>The record a client's membership lives in.</summary>
    internal static int HomeOf(string clientId, int recordCount)
        => (int)(StableHash.ComputeHash(clientId) & (uint)(recordCount - 1));

    private void Double()
    {
        var count = _records.Length;
        var records = new Dictionary<string, RoomMember>[count * 2];
        Array.Copy(_records, records, count);
        for (var i = count; i < records.Length; i++)
        {
            records[i] = NewRecord();
        }

        for (var i = 0; i < count; i++)
        {
            foreach (var member in records[i].Values.ToList())
            {
                var home = HomeOf(member.ClientId, records.Length);
                if (home != i)
                {
                    records[i].Remove(member.ClientId);
                    records[home][member.ClientId] = member;
                }
            }
        }

        _records = records;
        for (var i = 0; i < records.Length; i++)
        {
            _dirty.Add(i);
        }
    }

    private void IndexUser(RoomMember member)
    {
        if (member.UserId is null)
        {
            return;
        }

        if (!_connectionsByUser.TryGetValue(member.UserId, out var connections))
        {
            connections = [];
            _connectionsByUser[member.UserId] = connections;
        }

        connections.Add(member.ClientId);
    }

    private void UnindexUser(RoomMember member)
    {
        if (member.UserId is not null && _connectionsByUser.TryGetValue(member.UserId, out var connections))
        {
            connections.Remove(member.ClientId);
            if (connections.Count == 0)
            {
                _connectionsByUser.Remove(member.UserId);
            }
        }
    }

    private static Dictionary<string, RoomMember> NewRecord() => new(StringComparer.Ordinal);
}

/// <summary>Member records to write: copies taken at one moment, with the record count before and after.</summary>
internal sealed record RecordWrite(
    IReadOnlyList<(int Index, Dictionary<string, RoomMember> Members)> Records,
    int PreviousRecordCount,
    int RecordCount)
{
    /// <summary>The record count changed: write new records, then record 0, then the rest.</summary>
    public bool Grew => RecordCount != PreviousRecordCount;
}
