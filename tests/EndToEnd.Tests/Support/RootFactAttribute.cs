namespace Gatehouse.EndToEnd.Tests.Support;

/// <summary>A test that needs root; CI runs as root, elsewhere it is skipped and says why.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute(string needsRootTo = "create the local test account " + PasswordAccount.Name)
    {
        if (Environment.UserName != "root")
        {
            Skip = "needs root to " + needsRootTo;
        }
    }
}
