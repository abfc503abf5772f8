using Microsoft.Extensions.Options;

namespace Realtime.Grains.Connections;

internal sealed class ClientOptionsValidator : IValidateOptions<ClientOptions>
{
    public ValidateOptionsResult Validate(string? name, ClientOptions options)
        => options.MaxRoomsPerClient < 1
            ? ValidateOptionsResult.Fail($"Realtime:Clients:MaxRoomsPerClient must be at least 1 (was {options.MaxRoomsPerClient}).")
            : options.ResumeWindow < TimeSpan.Zero || options.ResumeWindow > TimeSpan.FromHours(1)
                ? ValidateOptionsResult.Fail($"Realtime:Clients:ResumeWindow must be between 0 and 1 hour (was {options.ResumeWindow}).")
                : ValidateOptionsResult.Success;
}
