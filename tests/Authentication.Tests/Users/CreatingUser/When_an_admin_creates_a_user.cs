using Gatehouse.Authentication.Users.CreatingUser;
using Gatehouse.Contracts;

namespace Gatehouse.Authentication.Tests.Users.CreatingUser;

public class When_an_admin_creates_a_user
{
    [Fact]
    public void Should_create_a_user_under_the_id_given()
    {
        var id = Guid.CreateVersion7(Given.Now);

        var created = Given.Single<UserCreated>(CreateUser.Decide(id, "bob", ["user"], nameTaken: false, Given.Admin, Given.EventId));

        Assert.Equal((id, "bob", "root-admin", Given.Now), (created.UserId, created.UserName, created.Actor, created.OccurredAt));
    }

    [Fact]
    public void Should_never_reuse_a_name() =>
        Given.Refused(CreateUser.Decide(Guid.NewGuid(), "bob", ["user"], nameTaken: true, Given.Admin, Given.EventId), 409, "never reused");
}
