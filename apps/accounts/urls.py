from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("me/", views.my_account, name="my_account"),
    path("me/password/", views.password_change, name="password_change"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_sent, name="password_reset_sent"),
    path("password-reset/new-password/", views.password_reset_link, name="password_reset_link"),
    path("me/tokens/", views.my_token_issue, name="my_token_issue"),
    path("me/tokens/<slug:ref>/revoke/", views.my_token_revoke, name="my_token_revoke"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/tokens/", views.user_token_issue, name="user_token_issue"),
    path("users/<int:pk>/tokens/<slug:ref>/revoke/", views.user_token_revoke, name="user_token_revoke"),
    path("users/<int:pk>/<slug:action>/", views.user_action, name="user_action"),
]
