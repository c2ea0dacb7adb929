from django.urls import path

from scf.accounts import apis, grant_apis

urlpatterns = [
    path("auth/csrf", apis.AuthCsrfApi.as_view(), name="auth-csrf"),
    path("auth/login", apis.AuthLoginApi.as_view(), name="auth-login"),
    path("auth/logout", apis.AuthLogoutApi.as_view(), name="auth-logout"),
    path("auth/me", apis.AuthMeApi.as_view(), name="auth-me"),
    path("auth/token", apis.AuthTokenObtainApi.as_view(), name="auth-token"),
    path("auth/token/rotate", apis.AuthTokenRotateApi.as_view(), name="auth-token-rotate"),
    path("organisations", apis.OrganisationListApi.as_view(), name="organisation-list"),
    path("organisations/create", apis.OrganisationCreateApi.as_view(),
         name="organisation-create"),
    path("organisations/<id:pk>", apis.OrganisationDetailApi.as_view(),
         name="organisation-detail"),
    path("organisations/<id:pk>/update", apis.OrganisationUpdateApi.as_view(),
         name="organisation-update"),
    path("organisations/<id:pk>/suspend", apis.OrganisationSuspendApi.as_view(),
         name="organisation-suspend"),
    path("organisations/<id:pk>/reinstate", apis.OrganisationReinstateApi.as_view(),
         name="organisation-reinstate"),
    path("users", apis.UserListApi.as_view(), name="user-list"),
    path("users/create", apis.UserCreateApi.as_view(), name="user-create"),
    path("users/<id:pk>", apis.UserDetailApi.as_view(), name="user-detail"),
    path("users/<id:pk>/roles", apis.UserRolesSetApi.as_view(), name="user-roles-set"),
    path("users/grants/<id:pk>/approve", grant_apis.RoleGrantApproveApi.as_view(),
         name="role-grant-approve"),
    path("users/grants/<id:pk>/reject", grant_apis.RoleGrantRejectApi.as_view(),
         name="role-grant-reject"),
]
