using Microsoft.Extensions.Options;

namespace Realtime.Gateway.Auth;

internal sealed class RealtimeAuthOptionsValidator : IValidateOptions<RealtimeAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, RealtimeAuthOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrEmpty(options.SigningKey))
        {
            byte[]? key = null;
            try
            {
                key = SigningKeys.Decode(options.SigningKey);
            }
            catch (FormatException)
            {
                failures.Add("Realtime:Auth:SigningKey starts with base64: but is not valid base64.");
            }

            if (key is { Length: < 32 })
            {
                failures.Add($"Realtime:Auth:SigningKey must be at least 32 bytes for HS256 (it has {key.Length}).");
            }
        }

        if (options.AllowAnonymous == false && !options.TokensEnabled)
        {
            failures.Add("Realtime:Auth:AllowAnonymous is false but neither SigningKey nor Authority is set: nobody could connect.");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > TimeSpan.FromMinutes(10))
        {
            failures.Add("Realtime:Auth:ClockSkew must be between 0 and 10 minutes.");
        }

        if (options.MaxConnectionsPerUser != 0)
        {
            failures.Add("Realtime:Auth:MaxConnectionsPerUser has moved to Realtime:Presence:MaxConnectionsPerUser, a rule the silos enforce for the whole cluster.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
