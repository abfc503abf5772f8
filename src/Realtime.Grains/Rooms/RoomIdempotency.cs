namespace Realtime.Grains.Rooms;

/// <summary>
/// The idempotency keys a room remembers: which seq each key's publish got, for
/// <see cref="RoomOptions.IdempotencyWindow"/>, bounded by count and bytes (the oldest go first).
/// Keys are scoped by who published (<see cref="Scoped"/>), so two users never share one.
/// </summary>
internal sealed class RoomIdempotency(TimeSpan window, int maxKeys, long maxBytes)
{
    /// <summary>What a record costs beyond its key's characters: the seq, the time, the entry.</summary>
    private const int RecordOverhead = 48;

    private readonly Queue<IdempotencyRecord> _order = new();
    private readonly Dictionary<string, IdempotencyRecord> _byKey = new(StringComparer.Ordinal);
    private long _bytes;

    public int Count => _byKey.Count;

    /// <summary>The key as the room keeps it: the publisher's scope (a user, an anonymous session, the server) and the key.</summary>
    public static string Scoped(string key, string? userId, string? clientId)
        => userId is not null ? $"u\u001f{userId}\u001f{key}"
            : clientId is not null ? $"c\u001f{clientId}\u001f{key}"
            : $"s\u001f{key}";

    /// <summary>The seq of the publish that used <paramref name="scopedKey"/> within the window, if any.</summary>
    public bool TryGet(string scopedKey, long nowUtcTicks, out long seq)
    {
        Evict(nowUtcTicks);
        if (_byKey.TryGetValue(scopedKey, out var record))
        {
            seq = record.Seq;
            return true;
        }

        seq = 0;
        return false;
    }

    public void Add(string scopedKey, long seq, long nowUtcTicks)
    {
        if (maxKeys == 0 || Cost(scopedKey) > maxBytes)
        {
            return;
        }

        Evict(nowUtcTicks);
        while (_order.Count > 0 && (_order.Count >= maxKeys || _bytes + Cost(scopedKey) > maxBytes))
        {
            DropOldest();
        }

        var record = new IdempotencyRecord(scopedKey, seq, nowUtcTicks);
        _order.Enqueue(record);
        _byKey[scopedKey] = record;
        _bytes += Cost(scopedKey);
    }

    /// <summary>Forgets the keys older than the window.</summary>
    public void Evict(long nowUtcTicks)
    {
        var oldest = nowUtcTicks - window.Ticks;
        while (_order.TryPeek(out var head) && head.UtcTicks < oldest)
        {
            DropOldest();
        }
    }

    public List<IdempotencyRecord> ToList() => [.. _order];

    /// <summary>Takes the records an earlier activation wrote, dropping those past the window.</summary>
    public void Load(IEnumerable<IdempotencyRecord> records, long nowUtcTicks)
    {
        foreach (var record in records)
        {
            Add(record.Key, record.Seq, record.UtcTicks);
        }

        Evict(nowUtcTicks);
    }

    private void DropOldest()
    {
        var record = _order.Dequeue();
        _bytes -= Cost(record.Key);
        if (_byKey.TryGetValue(record.Key, out var current) && ReferenceEquals(current, record))
        {
            _byKey.Remove(record.Key);
        }
    }

    private static long Cost(string scopedKey) => (scopedKey.Length * 2L) + RecordOverhead;
}

/// <summary>A publish's idempotency key (scoped), the seq it got and when (UTC ticks).</summary>
[GenerateSerializer, Immutable, Alias("realtime.IdempotencyRecord")]
internal sealed record IdempotencyRecord(
    [property: Id(0)] string Key,
    [property: Id(1)] long Seq,
    [property: Id(2)] long UtcTicks);
