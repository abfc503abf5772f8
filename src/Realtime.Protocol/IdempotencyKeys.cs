namespace Realtime.Protocol;

/// <summary>
/// The key a publish may carry so that sending it again (a retry after a lost reply) broadcasts once:
/// <c>idempotencyKey</c> on the wire, <c>Idempotency-Key</c> on the HTTP API.
/// </summary>
public static class IdempotencyKeys
{
    /// <summary>The longest key, in characters.</summary>
    public const int MaxLength = 64;

    /// <summary>What a key must be, for error messages.</summary>
    public const string Rule = "a string of 1 to 64 characters";

    /// <summary>Whether <paramref name="key"/> is a key: 1 to <see cref="MaxLength"/> characters.</summary>
    public static bool IsValid(string? key) => key is { Length: > 0 and <= MaxLength };
}
