namespace Realtime.Gateway.Connections;

/// <summary>
/// A per-connection frame budget: <c>burst</c> frames at once, refilled at <c>rate</c> per second.
/// Two fields rather than a limiter object, because every connection has one; used by the
/// connection's read loop only.
/// </summary>
internal struct TokenBucket
{
    private double _tokens;
    private long _lastMs;

    public bool TryTake(long nowMs, double ratePerSecond, int burst)
    {
        if (ratePerSecond <= 0)
        {
            return true;
        }

        _tokens = _lastMs == 0 ? burst : Math.Min(burst, _tokens + ((nowMs - _lastMs) * ratePerSecond / 1000.0));
        _lastMs = nowMs;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}
