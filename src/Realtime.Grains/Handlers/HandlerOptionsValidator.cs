using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Realtime.Grains.Handlers;

/// <summary>A handler must answer (or time out) before the gateway's call to the connection's grain gives up.</summary>
internal sealed class HandlerOptionsValidator(IOptions<SiloMessagingOptions> messaging) : IValidateOptions<HandlerOptions>
{
    public ValidateOptionsResult Validate(string? name, HandlerOptions options)
    {
        var limit = messaging.Value.ResponseTimeout;
        var failures = new List<string>();
        if (options.Timeout <= TimeSpan.Zero)
        {
            failures.Add($"Realtime:Handlers:Timeout must be above zero (was {options.Timeout}).");
        }

        if (options.CancellationGrace < TimeSpan.Zero)
        {
            failures.Add("Realtime:Handlers:CancellationGrace must not be negative.");
        }

        if (options.Timeout + options.CancellationGrace >= limit)
        {
            failures.Add($"Realtime:Handlers:Timeout plus CancellationGrace ({options.Timeout + options.CancellationGrace}) must stay below Orleans' response timeout ({limit}), or callers give up first.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
