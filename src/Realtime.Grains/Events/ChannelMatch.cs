using System.Text.RegularExpressions;

namespace Realtime.Grains.Events;

/// <summary>Which channels a subscriber takes: an exact name, a regular expression, a predicate, or any of several.</summary>
public abstract class ChannelMatch
{
    /// <summary>Whether the subscriber takes <paramref name="channel"/>.</summary>
    public abstract bool IsMatch(string channel);

    /// <summary>Exactly this channel.</summary>
    public static ChannelMatch Exact(string channel) => new ExactMatch(channel);

    /// <summary>Channels the regular expression matches (anchor it with <c>^</c>/<c>$</c> for whole names).</summary>
    public static ChannelMatch Regex(string pattern) => new RegexMatch(new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(100)));

    /// <summary>Channels the predicate accepts.</summary>
    public static ChannelMatch Where(Func<string, bool> predicate) => new PredicateMatch(predicate);

    /// <summary>Channels any of the matches takes.</summary>
    public static ChannelMatch Any(params ChannelMatch[] matches) => new AnyMatch(matches);

    /// <summary>An exact channel name.</summary>
    public static implicit operator ChannelMatch(string channel) => Exact(channel);

    /// <summary>What the match is, for the start-up listing.</summary>
    public abstract override string ToString();

    private sealed class ExactMatch(string channel) : ChannelMatch
    {
        public override bool IsMatch(string value) => string.Equals(value, channel, StringComparison.Ordinal);

        public override string ToString() => channel;
    }

    private sealed class RegexMatch(Regex regex) : ChannelMatch
    {
        public override bool IsMatch(string value) => regex.IsMatch(value);

        public override string ToString() => $"/{regex}/";
    }

    private sealed class PredicateMatch(Func<string, bool> predicate) : ChannelMatch
    {
        public override bool IsMatch(string value) => predicate(value);

        public override string ToString() => "(predicate)";
    }

    private sealed class AnyMatch(ChannelMatch[] matches) : ChannelMatch
    {
        public override bool IsMatch(string value) => matches.Any(m => m.IsMatch(value));

        public override string ToString() => string.Join(" | ", matches.Select(m => m.ToString()));
    }
}
