namespace Realtime.Api;

/// <summary>Who a send skips: connections by id, and connections whose metadata does not match.</summary>
public sealed record SendOptions
{
    /// <summary>Client ids that do not receive the push.</summary>
    public IReadOnlyCollection<string>? Exclude { get; init; }

    /// <summary>Only connections whose metadata has every one of these key/value pairs receive the push.</summary>
    public IReadOnlyDictionary<string, string>? Filter { get; init; }

    internal string[]? ExcludeArray() => Exclude is { Count: > 0 } ? [.. Exclude] : null;

    internal Dictionary<string, string>? FilterDictionary() => Filter is { Count: > 0 } ? new(Filter) : null;
}
