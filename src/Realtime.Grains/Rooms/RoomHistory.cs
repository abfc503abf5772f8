namespace Realtime.Grains.Rooms;

/// <summary>
/// A room's recent pushes, oldest first, bounded by count and by age. Seqs only grow; they are
/// consecutive except where a room resumed after losing its silo.
/// </summary>
internal sealed class RoomHistory(int capacity, TimeSpan ttl, long maxBytes = long.MaxValue)
{
    private readonly Queue<RoomHistoryEntry> _entries = new();
    private long _bytes;

    public int Count => _entries.Count;

    public long Bytes => _bytes;

    public void Add(RoomHistoryEntry entry)
    {
        if (capacity == 0 || entry.Frame.Length > maxBytes)
        {
            return;
        }

        Evict(entry.UtcTicks);
        while (_entries.Count > 0 && (_entries.Count >= capacity || _bytes + entry.Frame.Length > maxBytes))
        {
            DropOldest();
        }

        _entries.Enqueue(entry);
        _bytes += entry.Frame.Length;
    }

    /// <summary>Drops the entries older than the time to live.</summary>
    public void Evict(long nowUtcTicks)
    {
        var oldest = nowUtcTicks - ttl.Ticks;
        while (_entries.TryPeek(out var head) && head.UtcTicks < oldest)
        {
            DropOldest();
        }
    }

    private void DropOldest() => _bytes -= _entries.Dequeue().Frame.Length;

    /// <summary>
    /// The entries after <paramref name="afterSeq"/>, and whether they are every push from
    /// <paramref name="afterSeq"/> + 1 to <paramref name="lastSeq"/> with none missing.
    /// </summary>
    public (List<RoomHistoryEntry> Entries, bool Complete) After(long afterSeq, long lastSeq)
    {
        var result = new List<RoomHistoryEntry>();
        var expected = afterSeq + 1;
        var complete = true;
        foreach (var entry in _entries)
        {
            if (entry.Seq <= afterSeq)
            {
                continue;
            }

            complete &= entry.Seq == expected;
            expected = entry.Seq + 1;
            result.Add(entry);
        }

        complete &= expected == lastSeq + 1;
        return (result, complete);
    }

    /// <summary>The entries, oldest first.</summary>
    public IEnumerable<RoomHistoryEntry> Entries => _entries;

    public List<RoomHistoryEntry> ToList() => [.. _entries];

    public void Load(IEnumerable<RoomHistoryEntry> entries, long nowUtcTicks)
    {
        _entries.Clear();
        _bytes = 0;
        foreach (var entry in entries)
        {
            Add(entry);
        }

        Evict(nowUtcTicks);
    }
}
