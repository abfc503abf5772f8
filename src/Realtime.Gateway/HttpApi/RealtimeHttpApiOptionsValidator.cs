using Microsoft.Extensions.Options;

namespace Realtime.Gateway.HttpApi;

internal sealed class RealtimeHttpApiOptionsValidator : IValidateOptions<RealtimeHttpApiOptions>
{
    public ValidateOptionsResult Validate(string? name, RealtimeHttpApiOptions options)
    {
        if (options.Key is { } key && key.Length < 16)
        {
            return ValidateOptionsResult.Fail("Realtime:Api:Key must have at least 16 characters.");
        }

        return string.IsNullOrWhiteSpace(options.Role)
            ? ValidateOptionsResult.Fail("Realtime:Api:Role must not be empty.")
            : ValidateOptionsResult.Success;
    }
}
