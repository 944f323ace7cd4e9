namespace Gatehouse.Contracts;

/// <summary>Whether a grant names one user or everyone holding a role.</summary>
public enum GrantSubjectKind
{
    User,
    Role,
}
