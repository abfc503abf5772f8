using Microsoft.Extensions.Options;

namespace Realtime.Grains.Registry;

internal sealed class GatewayRegistryOptionsValidator : IValidateOptions<GatewayRegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayRegistryOptions options)
        => options.ReapInterval <= TimeSpan.Zero || options.IndexFlushInterval <= TimeSpan.Zero
            ? ValidateOptionsResult.Fail("Realtime:Gateways:ReapInterval and IndexFlushInterval must be positive.")
            : ValidateOptionsResult.Success;
}
