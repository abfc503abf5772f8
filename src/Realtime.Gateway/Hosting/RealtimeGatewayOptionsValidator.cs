using Microsoft.Extensions.Options;

namespace Realtime.Gateway.Hosting;

internal sealed class RealtimeGatewayOptionsValidator : IValidateOptions<RealtimeGatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, RealtimeGatewayOptions options)
    {
        var failures = new List<string>();
        Check(options.Paths.All(p => p.StartsWith('/')), "Paths must each start with /.");
        Check(options.RawEndpoints.Keys.All(p => p.StartsWith('/')), "RawEndpoints paths must each start with /.");
        Check(!options.RawEndpoints.Keys.Intersect(options.EffectivePaths, StringComparer.Ordinal).Any(), "A path is either one of Paths or a raw endpoint, not both.");
        Check(options.MaxFrameBytes is >= 256 and <= 16 * 1024 * 1024, "MaxFrameBytes must be between 256 bytes and 16 MiB.");
        Check(options.SendQueueBytes >= 1024, "SendQueueBytes must be at least 1 KiB.");
        Check(options.HeartbeatInterval > TimeSpan.Zero, "HeartbeatInterval must be positive.");
        Check(options.InactiveTime > TimeSpan.Zero, "InactiveTime must be positive.");
        Check(options.InactiveCheckInterval > TimeSpan.Zero, "InactiveCheckInterval must be positive.");
        Check(options.RateLimitPerSecond >= 0, "RateLimitPerSecond must not be negative.");
        Check(options.RateLimitBurst >= 1, "RateLimitBurst must be at least 1.");
        Check(options.CloseTimeout > TimeSpan.Zero, "CloseTimeout must be positive.");
        Check(options.RateLimitBytesPerSecond >= 0, "RateLimitBytesPerSecond must not be negative.");
        Check(options.RateLimitBytesBurst >= options.MaxFrameBytes, "RateLimitBytesBurst must be at least MaxFrameBytes.");
        Check(options.RateLimitBytesPerSecond == 0 || options.RateLimitBytesBurst <= options.SendQueueBytes, "RateLimitBytesBurst must not exceed SendQueueBytes: one client's burst must fit the queue of every member it reaches.");
        Check(options.ConnectionsPerSecondPerIp >= 0 && options.MaxConnectionsPerIp >= 0 && options.MaxConnections >= 0, "ConnectionsPerSecondPerIp, MaxConnectionsPerIp and MaxConnections must not be negative.");
        Check(options.ConnectionsPerSecondPerIp == 0 || options.ConnectionBurstPerIp >= 1, "ConnectionBurstPerIp must be at least 1.");
        Check(options.SendStallTimeout > TimeSpan.Zero, "SendStallTimeout must be positive.");
        Check(options.PeerTimeout >= TimeSpan.Zero, "PeerTimeout must not be negative.");
        Check(options.MaxMetadataKeys >= 0, "MaxMetadataKeys must not be negative.");
        Check(options.MaxMetadataValueBytes >= 1, "MaxMetadataValueBytes must be at least 1.");
        Check(options.LeaseTime >= TimeSpan.FromSeconds(1), "LeaseTime must be at least 1 s.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Check(bool ok, string message)
        {
            if (!ok)
            {
                failures.Add("Realtime:Gateway:" + message);
            }
        }
    }
}
