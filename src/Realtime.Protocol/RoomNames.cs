namespace Realtime.Protocol;

/// <summary>
/// Room names: <c>category:id</c> by convention, at most <see cref="MaxLength"/> characters, not only
/// white space, no control or format characters (zero-width, bidi overrides): a name must look like
/// what it is. The one rule for every door (frames, the HTTP API, <c>IRealtime</c> callers).
/// </summary>
public static class RoomNames
{
    /// <summary>The longest room name accepted.</summary>
    public const int MaxLength = 200;

    /// <summary>What a valid name is, for error messages.</summary>
    public static string Rule { get; } = $"1 to {MaxLength} characters, not only white space, no control, zero-width or bidi characters";

    /// <summary>True when <paramref name="name"/> can name a room.</summary>
    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return false;
        }

        var visible = false;
        foreach (var c in name)
        {
            if (char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            {
                return false;
            }

            visible |= !char.IsWhiteSpace(c);
        }

        return visible;
    }

    /// <summary>The category of the users' own rooms, <c>user:&lt;userId&gt;</c>.</summary>
    public const string UserCategory = "user";

    /// <summary>The room of a user: every authenticated connection of theirs is in it, and pushes to the user are its broadcasts.</summary>
    public static string ForUser(string userId) => UserCategory + ":" + userId;

    /// <summary>The user whose room <paramref name="name"/> is (<c>user:42</c> is 42's), or null for any other room.</summary>
    public static string? UserOf(string name)
        => name.Length > UserCategory.Length + 1 && name.StartsWith(UserCategory + ":", StringComparison.Ordinal) ? name[(UserCategory.Length + 1)..] : null;

    /// <summary>The part of the name before the first <c>:</c>, or empty when there is none.</summary>
    public static string Category(string name)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? string.Empty : name[..colon];
    }
}
