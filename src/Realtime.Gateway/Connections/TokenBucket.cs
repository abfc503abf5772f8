namespace Realtime.Gateway.Connections;

/// <summary>
/// A per-connection budget (frames, or bytes): <c>burst</c> at once, refilled at <c>rate</c> per second.
/// Two fields rather than a limiter object, because every connection has one. A mutable struct:
/// its owner (<see cref="Connection"/>) keeps it in a private field and changes it in place, from
/// the connection's read loop only.
/// </summary>
internal struct TokenBucket
{
    private double _tokens;
    private long _lastMs;

    public bool TryTake(long nowMs, double ratePerSecond, long burst, long cost = 1)
    {
        if (ratePerSecond <= 0)
        {
            return true;
        }

        _tokens = _lastMs == 0 ? burst : Math.Min(burst, _tokens + ((nowMs - _lastMs) * ratePerSecond / 1000.0));
        _lastMs = nowMs;
        if (_tokens < cost)
        {
            return false;
        }

        _tokens -= cost;
        return true;
    }
}
