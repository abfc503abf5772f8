using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Realtime.Gateway.Hosting;

namespace Realtime.Gateway.Connections;

/// <summary>
/// Who may open a connection, decided before the upgrade: connection attempts per client IP per second
/// (429), open connections per client IP (503), open connections on this gateway (503). A limit of 0 is off.
/// Idle per-IP limiters are dropped by the rate-limiting library, so addresses seen once cost nothing later.
/// </summary>
internal sealed class ConnectionAdmission : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _attempts;
    private readonly PartitionedRateLimiter<IPAddress> _openPerIp;
    private readonly ConcurrencyLimiter? _open;

    public ConnectionAdmission(IOptions<RealtimeGatewayOptions> options)
    {
        var o = options.Value;
        _attempts = PartitionedRateLimiter.Create<IPAddress, IPAddress>(ip => o.ConnectionsPerSecondPerIp > 0
            ? RateLimitPartition.GetTokenBucketLimiter(ip, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = o.ConnectionBurstPerIp,
                TokensPerPeriod = o.ConnectionsPerSecondPerIp,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
            })
            : RateLimitPartition.GetNoLimiter(ip));
        _openPerIp = PartitionedRateLimiter.Create<IPAddress, IPAddress>(ip => o.MaxConnectionsPerIp > 0
            ? RateLimitPartition.GetConcurrencyLimiter(ip, _ => new ConcurrencyLimiterOptions { PermitLimit = o.MaxConnectionsPerIp, QueueLimit = 0 })
            : RateLimitPartition.GetNoLimiter(ip));
        _open = o.MaxConnections > 0 ? new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = o.MaxConnections, QueueLimit = 0 }) : null;
    }

    /// <summary>Counts a connection attempt; false (answer 429) when its address tried too often.</summary>
    public bool TryAttempt(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } ip)
        {
            return true;
        }

        using var lease = _attempts.AttemptAcquire(ip);
        return lease.IsAcquired;
    }

    /// <summary>
    /// A place for one open connection, held until disposed; null (answer 503) when the gateway or the
    /// client's address has as many as allowed.
    /// </summary>
    public IDisposable? TryOpen(HttpContext context)
    {
        RateLimitLease? perIp = null;
        if (context.Connection.RemoteIpAddress is { } ip)
        {
            perIp = _openPerIp.AttemptAcquire(ip);
            if (!perIp.IsAcquired)
            {
                perIp.Dispose();
                return null;
            }
        }

        var gateway = _open?.AttemptAcquire();
        if (gateway is { IsAcquired: false })
        {
            gateway.Dispose();
            perIp?.Dispose();
            return null;
        }

        return new Place(perIp, gateway);
    }

    public void Dispose()
    {
        _attempts.Dispose();
        _openPerIp.Dispose();
        _open?.Dispose();
    }

    private sealed class Place(RateLimitLease? perIp, RateLimitLease? gateway) : IDisposable
    {
        public void Dispose()
        {
            gateway?.Dispose();
            perIp?.Dispose();
        }
    }
}
