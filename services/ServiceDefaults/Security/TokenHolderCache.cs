namespace Gatehouse.ServiceDefaults.Security;

/// <summary>
/// This host's recent answers about token holders, so not every API call asks the Authentication service. A user event
/// (<see cref="TokenHolderChangedConsumer"/>) forgets the user at once; an entry also expires, in case an event was missed.
/// </summary>
public sealed class TokenHolderCache
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (TokenHolder? Holder, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);
    private long _changes;

    /// <summary>Counts the changes heard; taken before asking, so an answer overtaken by a change is not kept.</summary>
    public long Changes
    {
        get
        {
            lock (_lock)
            {
                return _changes;
            }
        }
    }

    /// <returns>Whether an unexpired answer is known; <paramref name="holder"/> is null when the answer was "no such user".</returns>
    public bool TryGet(string userName, DateTimeOffset now, out TokenHolder? holder)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(userName, out var entry) && entry.Until > now)
            {
                holder = entry.Holder;
                return true;
            }

            _entries.Remove(userName);
            holder = null;
            return false;
        }
    }

    /// <summary>Keeps an answer unless a change was heard since <paramref name="changesBeforeAsking"/>: it may predate that change.</summary>
    public void Remember(string userName, TokenHolder? holder, DateTimeOffset until, long changesBeforeAsking)
    {
        lock (_lock)
        {
            if (_changes == changesBeforeAsking)
            {
                _entries[userName] = (holder, until);
            }
        }
    }

    public void Forget(string userName)
    {
        lock (_lock)
        {
            _changes++;
            _entries.Remove(userName);
        }
    }
}
