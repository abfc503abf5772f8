using Microsoft.Extensions.Options;

namespace Realtime.Handlers;

internal sealed class HandlerOptionsValidator : IValidateOptions<HandlerOptions>
{
    public ValidateOptionsResult Validate(string? name, HandlerOptions options)
        => options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(10)
            ? ValidateOptionsResult.Fail($"Realtime:Handlers:Timeout must be above zero and at most 10 minutes (was {options.Timeout}).")
            : ValidateOptionsResult.Success;
}
