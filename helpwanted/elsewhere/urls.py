from django.urls import URLPattern

app_name = "elsewhere"
urlpatterns: list[URLPattern] = []
