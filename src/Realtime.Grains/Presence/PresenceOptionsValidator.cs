using Microsoft.Extensions.Options;

namespace Realtime.Grains.Presence;

internal sealed class PresenceOptionsValidator : IValidateOptions<PresenceOptions>
{
    public ValidateOptionsResult Validate(string? name, PresenceOptions options)
    {
        var failures = new List<string>();
        if (options.OfflineGracePeriod < TimeSpan.Zero || options.OfflineGracePeriod > TimeSpan.FromHours(1))
        {
            failures.Add("Realtime:Presence:OfflineGracePeriod must be between 0 and 1 hour.");
        }

        if (options.HookTimeout <= TimeSpan.Zero)
        {
            failures.Add("Realtime:Presence:HookTimeout must be positive.");
        }

        if (options.UserRateLimitPerSecond < 0 || options.UserRateLimitBytesPerSecond < 0)
        {
            failures.Add("Realtime:Presence:UserRateLimitPerSecond and UserRateLimitBytesPerSecond must not be negative.");
        }

        if (options.MaxConnectionsPerUser < 0)
        {
            failures.Add("Realtime:Presence:MaxConnectionsPerUser must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
