from django.urls import path

from helpwanted.asks import views

app_name = "asks"
urlpatterns = [
    path("", views.ask_list, name="list"),
    path("new/", views.ask_new, name="new"),
    path("coach/", views.ask_coach, name="coach"),
    path("ledger/", views.ledger_view, name="ledger"),
    path("<int:ask_id>/", views.ask_detail, name="detail"),
    path("<int:ask_id>/edit/", views.ask_edit, name="edit"),
    path("<int:ask_id>/recipients/", views.recipient_add, name="recipient_add"),
    path("<int:ask_id>/send/", views.ask_send, name="send"),
    path("<int:ask_id>/close/", views.ask_close, name="close"),
    path("to/<int:recipient_id>/", views.recipient_update, name="recipient_update"),
    path("to/<int:recipient_id>/remove/", views.recipient_remove, name="recipient_remove"),
    path("to/<int:recipient_id>/asked/", views.recipient_asked, name="asked"),
    path("to/<int:recipient_id>/follow-up/", views.recipient_follow_up, name="follow_up"),
    path("to/<int:recipient_id>/let-go/", views.recipient_let_go, name="let_go"),
    path("to/<int:recipient_id>/answer/", views.recipient_record, name="record"),
    path("to/<int:recipient_id>/outcome/", views.recipient_outcome, name="outcome"),
    path("to/<int:recipient_id>/thank/", views.recipient_thank, name="thank"),
]
