using Microsoft.Extensions.Options;

namespace Realtime.Grains.Events;

internal sealed class EventOptionsValidator : IValidateOptions<EventOptions>
{
    public ValidateOptionsResult Validate(string? name, EventOptions options)
        => options.SubscriberTimeout <= TimeSpan.Zero || options.HookTimeout <= TimeSpan.Zero
            ? ValidateOptionsResult.Fail("Realtime:Events:SubscriberTimeout and HookTimeout must be positive.")
            : ValidateOptionsResult.Success;
}
