using Microsoft.Extensions.Options;

namespace Realtime.Grains.Rooms;

internal sealed class RoomOptionsValidator : IValidateOptions<RoomOptions>
{
    public ValidateOptionsResult Validate(string? name, RoomOptions options)
    {
        var failures = new List<string>();
        if (options.HistorySize is < 0 or > 1_000_000)
        {
            failures.Add($"Realtime:Rooms:HistorySize must be between 0 and 1,000,000 (was {options.HistorySize}).");
        }

        if (options.HistoryTtl <= TimeSpan.Zero)
        {
            failures.Add("Realtime:Rooms:HistoryTtl must be positive.");
        }

        if (options.HistoryFlushInterval <= TimeSpan.Zero)
        {
            failures.Add("Realtime:Rooms:HistoryFlushInterval must be positive.");
        }

        if (options.HistoryMaxBytes < 0 || options.MaxRecoveryBytes < 0)
        {
            failures.Add("Realtime:Rooms:HistoryMaxBytes and MaxRecoveryBytes must not be negative.");
        }

        if (options.IdempotencyWindow <= TimeSpan.Zero)
        {
            failures.Add("Realtime:Rooms:IdempotencyWindow must be positive.");
        }

        if (options.IdempotencyMaxKeys < 0 || options.IdempotencyMaxBytes < 0)
        {
            failures.Add("Realtime:Rooms:IdempotencyMaxKeys and IdempotencyMaxBytes must not be negative.");
        }

        if (options.SeqReservation < 1)
        {
            failures.Add("Realtime:Rooms:SeqReservation must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
