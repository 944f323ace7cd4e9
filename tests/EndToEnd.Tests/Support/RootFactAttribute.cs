namespace Gatehouse.EndToEnd.Tests.Support;

/// <summary>A test that needs root (it creates a local account); CI runs as root, elsewhere it is skipped and says why.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!PasswordAccount.CanCreate)
        {
            Skip = "needs root to create the local test account " + PasswordAccount.Name;
        }
    }
}
