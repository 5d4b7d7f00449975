from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import services
from accounts.models import Role, User
from accounts.tests.base import AdminTestCase
from lib.audit import audit_for_object, change_rows
from lib.testing import PASSWORD


class UserCreateTests(AdminTestCase):
    def test_it_creates_an_account_with_its_first_role(self):
        user = services.user_create(
            acting_user=self.erin,
            username="cdcs.may",
            full_name=" Trần  Thị Mai ",
            unit=self.factory,
            password=PASSWORD,
            role_kind=Role.Kind.OFFICER,
        )
        self.assertEqual(user.full_name, "Trần Thị Mai")
        self.assertTrue(user.check_password(PASSWORD))
        role = user.roles.get()
        self.assertEqual(
            (role.unit, role.kind, role.granted_by), (self.factory, Role.Kind.OFFICER, self.erin)
        )

    def test_it_refuses_a_unit_outside_the_admins_subtree(self):
        with self.assertRaises(PermissionDenied):
            services.user_create(acting_user=self.erin, username="x", unit=self.quangtri, password=PASSWORD)
        with self.assertRaises(PermissionDenied):
            services.user_create(acting_user=self.erin, username="y", unit=self.port, password=PASSWORD)
        self.assertFalse(User.objects.filter(username__in=["x", "y"]).exists())

    def test_officers_cannot_create_accounts(self):
        with self.assertRaises(PermissionDenied):
            services.user_create(acting_user=self.alice, username="x", unit=self.school, password=PASSWORD)

    def test_it_refuses_a_taken_username_in_any_case(self):
        with self.assertRaises(ValidationError):
            services.user_create(acting_user=self.erin, username="ALICE", unit=self.school, password=PASSWORD)

    def test_it_refuses_a_weak_password(self):
        with self.assertRaises(ValidationError):
            services.user_create(acting_user=self.erin, username="new", unit=self.school, password="123")
        self.assertFalse(User.objects.filter(username="new").exists())


class UserUpdateTests(AdminTestCase):
    def test_it_changes_the_fields(self):
        services.user_update(
            acting_user=self.dora, user=self.alice, full_name="Alice Nguyễn", unit=self.school
        )
        self.alice.refresh_from_db()
        self.assertEqual((self.alice.full_name, self.alice.unit), ("Alice Nguyễn", self.school))

    def test_it_cannot_move_an_account_out_of_the_admins_subtree(self):
        with self.assertRaises(PermissionDenied):
            services.user_update(acting_user=self.erin, user=self.alice, unit=self.quangtri)

    def test_it_refuses_other_fields(self):
        with self.assertRaises(TypeError):
            services.user_update(acting_user=self.dora, user=self.alice, is_superuser=True)


class UserDeactivateTests(AdminTestCase):
    def test_it_deactivates_without_deleting(self):
        services.user_deactivate(acting_user=self.erin, user=self.alice)
        self.alice.refresh_from_db()
        self.assertFalse(self.alice.is_active)

    def test_it_refuses_the_admins_own_account(self):
        with self.assertRaises(ValidationError):
            services.user_deactivate(acting_user=self.erin, user=self.erin)

    def test_it_refuses_accounts_outside_the_subtree(self):
        with self.assertRaises(PermissionDenied):
            services.user_deactivate(acting_user=self.erin, user=self.dora)


class RoleGrantTests(AdminTestCase):
    def test_it_grants_below_the_admins_unit(self):
        role = services.role_grant(
            acting_user=self.erin, user=self.bob, unit=self.school, kind=Role.Kind.OFFICER
        )
        self.assertEqual(role.granted_by, self.erin)
        self.assertIsNone(role.revoked_at)

    def test_it_never_grants_above_the_admins_unit(self):
        for unit in (self.quangtri, self.root, self.port):
            with self.assertRaises(PermissionDenied):
                services.role_grant(acting_user=self.erin, user=self.bob, unit=unit, kind=Role.Kind.ADMIN)
        self.assertEqual(self.bob.roles.count(), 1)

    def test_it_refuses_a_duplicate_active_role(self):
        with self.assertRaises(ValidationError):
            services.role_grant(acting_user=self.erin, user=self.bob, unit=self.dongha, kind=Role.Kind.VIEWER)


class RoleRevokeTests(AdminTestCase):
    def test_it_marks_the_role_revoked_and_keeps_it(self):
        role = self.bob.roles.get()
        services.role_revoke(acting_user=self.erin, role=role)
        role.refresh_from_db()
        self.assertIsNotNone(role.revoked_at)
        self.assertEqual(role.revoked_by, self.erin)
        self.assertFalse(Role.objects.active().filter(user=self.bob).exists())

    def test_it_refuses_roles_outside_the_subtree(self):
        with self.assertRaises(PermissionDenied):
            services.role_revoke(acting_user=self.erin, role=self.dora.roles.get())


class AccountAuditTests(AdminTestCase):
    def test_account_changes_are_recorded_with_actor_and_old_and_new_values(self):
        user = services.user_create(
            acting_user=self.erin,
            username="cdcs.may",
            full_name="Trần Thị Mai",
            unit=self.factory,
            password=PASSWORD,
        )
        services.user_update(acting_user=self.dora, user=user, full_name="Trần Thị Mai Anh")
        entries = list(audit_for_object(user))
        self.assertEqual([e.action for e in entries], [LogEntry.Action.UPDATE, LogEntry.Action.CREATE])
        update, create = entries
        self.assertEqual(create.actor, self.erin)
        self.assertEqual(update.actor, self.dora)
        self.assertIn(("full_name", "Trần Thị Mai", "Trần Thị Mai Anh"), change_rows(update))
        self.assertEqual(update.additional_data, {"unit_id": self.factory.pk})
        for entry in entries:
            self.assertNotIn("password", entry.changes_dict)

    def test_role_grant_and_revoke_are_recorded(self):
        role = services.role_grant(
            acting_user=self.erin, user=self.bob, unit=self.school, kind=Role.Kind.OFFICER
        )
        services.role_revoke(acting_user=self.dora, role=role)
        create, update = sorted(audit_for_object(role), key=lambda e: e.pk)
        self.assertEqual((create.action, create.actor), (LogEntry.Action.CREATE, self.erin))
        self.assertEqual((update.action, update.actor), (LogEntry.Action.UPDATE, self.dora))
        self.assertIn("revoked_at", update.changes_dict)

    def test_deactivation_is_recorded(self):
        services.user_deactivate(acting_user=self.erin, user=self.alice)
        entry = audit_for_object(self.alice).first()
        self.assertEqual(entry.actor, self.erin)
        self.assertIn(("is_active", "True", "False"), change_rows(entry))
