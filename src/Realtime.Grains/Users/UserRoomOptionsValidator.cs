using Microsoft.Extensions.Options;

namespace Realtime.Grains.Users;

internal sealed class UserRoomOptionsValidator : IValidateOptions<UserRoomOptions>
{
    public ValidateOptionsResult Validate(string? name, UserRoomOptions options)
    {
        var failures = new List<string>();
        if (options.HistorySize is < 0 or > 1_000_000)
        {
            failures.Add($"Realtime:Users:HistorySize must be between 0 and 1,000,000 (was {options.HistorySize}).");
        }

        if (options.HistoryTtl <= TimeSpan.Zero || options.HistoryTtl > TimeSpan.FromDays(30))
        {
            failures.Add("Realtime:Users:HistoryTtl must be positive and at most 30 days.");
        }

        if (options.HistoryMaxBytes < 0)
        {
            failures.Add("Realtime:Users:HistoryMaxBytes must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
