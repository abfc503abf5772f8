namespace Realtime.Api;

/// <summary>Who a send skips: connections by id, and connections whose metadata does not match.</summary>
public sealed record SendOptions
{
    /// <summary>Client ids that do not receive the push.</summary>
    public IReadOnlyCollection<string>? Exclude { get; init; }

    /// <summary>Only connections whose metadata has every one of these key/value pairs receive the push.</summary>
    public IReadOnlyDictionary<string, string>? Filter { get; init; }

    /// <summary>
    /// For <see cref="IRealtime.SendToRoomAsync"/> only (1 to 64 characters): a send with a key the room saw
    /// from the server within its idempotency window (<c>Realtime:Rooms:IdempotencyWindow</c>) broadcasts
    /// nothing and returns the first send's seq. Retry with the same key when a send's outcome is unknown.
    /// The other sends are not sequenced and refuse a key.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    internal string[]? ExcludeArray() => Exclude is { Count: > 0 } ? [.. Exclude] : null;

    internal Dictionary<string, string>? FilterDictionary() => Filter is { Count: > 0 } ? new(Filter) : null;
}
