using System.Net;

namespace VSmenu.IntegrationTests.Api;

public sealed class UserTests(TopologyFixture topology)
{
    [Fact]
    public async Task An_owner_manages_staff_and_a_role_change_signs_the_member_out()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var waiter = await owner.AddStaffAsync("waiter");

        var shown = await owner.GetAsync($"/api/v1/users/{waiter.UserId}");
        var renamed = await owner.PatchAsync($"/api/v1/users/{waiter.UserId}", new { name = "Carlos", role = "kitchen" });
        var list = await owner.GetAsync("/api/v1/users?role=kitchen");

        shown.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("waiter", shown.Data["role"]!.GetValue<string>());
        renamed.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("Carlos", renamed.Data["name"]!.GetValue<string>());
        Assert.Equal([waiter.UserId], list.AssertStatus(HttpStatusCode.OK).Ids);
        (await waiter.GetAsync("/api/v1/auth/me")).AssertStatus(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Deleting_a_user_revokes_their_tokens()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var waiter = await owner.AddStaffAsync("waiter");

        (await owner.DeleteAsync($"/api/v1/users/{waiter.UserId}")).AssertStatus(HttpStatusCode.NoContent);

        (await waiter.GetAsync("/api/v1/auth/me")).AssertStatus(HttpStatusCode.Unauthorized);
        (await owner.GetAsync($"/api/v1/users/{waiter.UserId}")).AssertStatus(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Staff_other_than_management_cannot_manage_users()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var waiter = await owner.AddStaffAsync("waiter");

        var list = await waiter.GetAsync("/api/v1/users");
        var create = await waiter.PostAsync("/api/v1/users", new { name = "X", email = ApiSession.UniqueEmail(), password = ApiSession.Password, role = "waiter" });

        list.AssertStatus(HttpStatusCode.Forbidden);
        create.AssertStatus(HttpStatusCode.Forbidden);
        Assert.Equal("Esta ação não é autorizada.", create.Message);
    }

    [Fact]
    public async Task A_manager_cannot_create_promote_to_or_remove_an_owner()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var manager = await owner.AddStaffAsync("manager");
        using var waiter = await owner.AddStaffAsync("waiter");

        (await manager.PostAsync("/api/v1/users", new { name = "X", email = ApiSession.UniqueEmail(), password = ApiSession.Password, role = "owner" }))
            .AssertStatus(HttpStatusCode.Forbidden);
        (await manager.PatchAsync($"/api/v1/users/{waiter.UserId}", new { role = "owner" })).AssertStatus(HttpStatusCode.Forbidden);
        (await manager.DeleteAsync($"/api/v1/users/{owner.UserId}")).AssertStatus(HttpStatusCode.Forbidden);
        (await manager.PatchAsync($"/api/v1/users/{waiter.UserId}", new { role = "kitchen" })).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Nobody_deletes_themselves_or_reuses_an_e_mail()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var other = await ApiSession.RegisterAsync(topology);

        var self = await owner.DeleteAsync($"/api/v1/users/{owner.UserId}");
        var duplicate = await owner.PostAsync("/api/v1/users", new { name = "X", email = other.Email, password = ApiSession.Password, role = "waiter" });

        self.AssertStatus(HttpStatusCode.Conflict);
        duplicate.AssertStatus(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["O valor informado para o campo email já está em uso."], duplicate.Errors("email"));
    }
}
