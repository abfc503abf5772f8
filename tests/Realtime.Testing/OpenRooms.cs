namespace Realtime.Testing;

/// <summary>
/// Rooms are closed by default; the tests' hosts open every category to anyone
/// (<see cref="Key"/> = <see cref="Value"/>) before the test's own settings, so a test that is not
/// about join policies joins what it likes, and one that is sets the key itself or opts out.
/// </summary>
public static class OpenRooms
{
    public const string Key = "Realtime:Rooms:Join";

    public const string Value = "Anyone";

    /// <summary>The setting as a command-line argument.</summary>
    public static string Argument => $"--{Key}={Value}";
}
