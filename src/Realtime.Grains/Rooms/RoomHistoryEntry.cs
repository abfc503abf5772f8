namespace Realtime.Grains.Rooms;

/// <summary>
/// One push a room keeps: its seq, when it was sent (UTC ticks), the exact frame, and who it was not
/// for (excluded clients, metadata filter), so a recovery or repair never reaches them.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.RoomHistoryEntry")]
internal readonly record struct RoomHistoryEntry(
    [property: Id(0)] long Seq,
    [property: Id(1)] long UtcTicks,
    [property: Id(2)] byte[] Frame,
    [property: Id(3)] string[]? Exclude = null,
    [property: Id(4)] Dictionary<string, string>? Filter = null)
{
    /// <summary>Whether the push was for a connection with this id and metadata.</summary>
    public bool IsFor(string clientId, IReadOnlyDictionary<string, string>? metadata)
    {
        if (Exclude is not null && Array.IndexOf(Exclude, clientId) >= 0)
        {
            return false;
        }

        if (Filter is null)
        {
            return true;
        }

        foreach (var (key, value) in Filter)
        {
            if (metadata is null || !metadata.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return true;
    }
}
