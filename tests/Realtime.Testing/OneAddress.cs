namespace Realtime.Testing;

/// <summary>
/// Every test connects from 127.0.0.1, so the tests' hosts turn off the per-address limit on connection
/// attempts (<see cref="Key"/> = 0) before the test's own settings; a test about the limit sets it itself.
/// </summary>
public static class OneAddress
{
    public const string Key = "Realtime:Gateway:ConnectionsPerSecondPerIp";

    /// <summary>The setting as a command-line argument.</summary>
    public static string Argument => $"--{Key}=0";
}
