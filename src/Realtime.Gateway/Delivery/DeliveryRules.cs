using Realtime.Gateway.Connections;

namespace Realtime.Gateway.Delivery;

/// <summary>Exclusions by client id and metadata filters, applied at the gateway to each recipient.</summary>
internal readonly struct DeliveryRules
{
    private readonly string[]? _exclude;
    private readonly HashSet<string>? _excludeSet;
    private readonly Dictionary<string, string>? _filter;

    public DeliveryRules(string[]? exclude, Dictionary<string, string>? filter)
    {
        _exclude = exclude is { Length: > 0 } ? exclude : null;
        _excludeSet = _exclude is { Length: > 8 } ? new HashSet<string>(_exclude, StringComparer.Ordinal) : null;
        _filter = filter is { Count: > 0 } ? filter : null;
    }

    public bool IsEmpty => _exclude is null && _filter is null;

    public bool Accepts(Connection connection)
    {
        if (_excludeSet is not null)
        {
            if (_excludeSet.Contains(connection.ClientId))
            {
                return false;
            }
        }
        else if (_exclude is not null && Array.IndexOf(_exclude, connection.ClientId) >= 0)
        {
            return false;
        }

        if (_filter is not null)
        {
            var metadata = connection.Metadata;
            foreach (var (key, value) in _filter)
            {
                if (!metadata.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
