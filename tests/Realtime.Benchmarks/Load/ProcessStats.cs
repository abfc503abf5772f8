using System.Globalization;

namespace Realtime.Benchmarks.Load;

/// <summary>CPU time and resident memory of server processes, from /proc.</summary>
internal static class ProcessStats
{
    private static readonly double s_msPerTick = 1000.0 / 100; // USER_HZ is 100 on Linux.

    /// <summary>utime + stime of <paramref name="pid"/> in milliseconds.</summary>
    public static double CpuMs(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name (which may hold spaces), which ends with ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * s_msPerTick;
    }

    public static double CpuMs(IEnumerable<int> pids) => pids.Sum(CpuMs);

    /// <summary>Resident set size of <paramref name="pid"/> in bytes.</summary>
    public static long RssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
